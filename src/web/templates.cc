// The page templates. Each starts with the AUTOESCAPE pragma, so ctemplate
// HTML-escapes every variable (attribute values included).
#include "web/templates.h"

#include <cstring>

#include <ctemplate/template.h>

#include <mutex>

namespace gh::web {
namespace {

constexpr const char* kLayout = R"HTML({{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · Gatehouse</title>
<link rel="stylesheet" href="/static/gatehouse.css">
</head>
<body>
<header class="top"><a class="brand" href="/">Gatehouse</a></header>
<main class="card">
{{>CONTENT}}
</main>
</body>
</html>
)HTML";

constexpr const char* kMessage = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
<p>{{MESSAGE}}</p>
{{#LINK}}<p><a class="button" href="{{HREF}}">{{TEXT}}</a></p>{{/LINK}}
)HTML";

constexpr const char* kSigninEmail = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Sign in</h1>
<p class="muted">to continue to {{ORG}}</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="step" value="email">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username" value="{{EMAIL}}" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="email-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="email-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Next</button>
</form>
)HTML";

constexpr const char* kSigninPassword = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Enter password</h1>
<p class="muted">{{EMAIL}} · {{HOME}} account</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="password">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="password-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="password-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Sign in</button>
</form>
{{#SIGNUP}}<p>No account? <a href="{{HREF}}">Create one</a></p>{{/SIGNUP}}
)HTML";

constexpr const char* kSignupForm = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Create account</h1>
<p class="muted">A personal account for your outlook.com, hotmail.com, live.com or msn.com address.</p>
<form method="post" action="/signup" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="step" value="form">
  {{#ERROR}}<p class="error" id="signup-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username" value="{{EMAIL}}" required
         {{#ERROR}}aria-describedby="signup-error"{{/ERROR}}>
  <label for="display_name">Name</label>
  <input id="display_name" name="display_name" autocomplete="name" value="{{DISPLAY_NAME}}" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">Next</button>
</form>
)HTML";

constexpr const char* kSignupVerify = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Verify email</h1>
<p>We sent a code to {{EMAIL}}. Enter it to finish creating your account. The code works for 30 minutes.</p>
<p class="muted">No code? You may already have an account with this address: sign in instead.</p>
<form method="post" action="/signup" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="verify">
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Create account</button>
</form>
)HTML";

constexpr const char* kSigninOtp = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Enter code</h1>
<p>If {{EMAIL}} may sign in to {{ORG}}, we sent a code to it. The code works for 30 minutes.</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="otp">
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Sign in</button>
</form>
)HTML";

constexpr const char* kDeviceCode = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Enter code</h1>
<p>Enter the code shown on your device or in your terminal.</p>
<form method="post" action="/devicelogin" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="step" value="code">
  <label for="user_code">Code</label>
  <input id="user_code" name="user_code" value="{{USER_CODE}}" autocomplete="off" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Next</button>
</form>
)HTML";

constexpr const char* kDeviceConfirm = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Are you trying to sign in?</h1>
<p>{{CLIENT}} wants to sign you in to {{ORG}} as {{USER}}. Only continue if you started this on your own device.</p>
<p>It asks for these permissions:</p>
<ul class="scopes">
{{#SCOPE}}  <li><strong>{{NAME}}</strong>: {{DESCRIPTION}}</li>
{{/SCOPE}}</ul>
<p class="muted">Requested from <strong>{{ORIGIN}}</strong> at {{STARTED}} (UTC); the code expires at {{EXPIRES}}.
If someone sent you this code, or you don't recognise this address or time, select Cancel.</p>
<form method="post" action="/devicelogin">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="user_code" value="{{USER_CODE}}">
  <button type="submit" name="step" value="approve">Continue</button>
  <button type="submit" name="step" value="deny" class="secondary">Cancel</button>
</form>
)HTML";

constexpr const char* kFormPost = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Signing you in…</h1>
<form method="post" action="{{ACTION}}" id="form_post">
  {{#FIELD}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">{{/FIELD}}
  <noscript><button type="submit">Continue</button></noscript>
</form>
<script src="/static/autosubmit.js"></script>
)HTML";

// The environment URL: a home page with the apps the user can run, or the
// refusal listing each failed check and what to ask the administrator.
constexpr const char* kEnvHome = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>{{ENV}}</h1>
<p class="muted">{{ORG}} · signed in as {{USER}}</p>
<h2>Apps</h2>
{{#APP}}<p><a href="{{HREF}}">{{NAME}}</a></p>{{/APP}}
{{#NO_APPS}}<p>No apps are shared with you in this environment yet.</p>{{/NO_APPS}}
<p><a href="{{MY_HREF}}">My environments</a></p>
)HTML";

constexpr const char* kEnvDenied = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>You can't open {{ENV}}</h1>
<p>You are signed in, but {{ORG}} hasn't given you everything you need to use {{ENV}} yet. An administrator
has to do a few things first. Here is what is missing:</p>
<ul class="checks">
{{#FAILED}}<li class="failed" data-check="{{ID}}"><p>{{SENTENCE}}</p>
<p>Ask your administrator ({{CONTACT}}) to: {{REMEDY}}</p></li>{{/FAILED}}
</ul>
<p>Whom to ask: <strong>{{CONTACT}}</strong>, the administrator of {{ORG}}. Send them the list above; once it is
done, open this page again.</p>
<p><a href="{{MY_HREF}}">My environments</a> — the environments of {{ORG}} you can open.</p>
)HTML";

constexpr const char* kRedeemConsent = R"HTML({{%AUTOESCAPE context="HTML"}}<h1>Review permissions</h1>
<p class="muted">{{EMAIL}}</p>
{{#MISMATCH}}<p class="error" role="alert">This invitation was sent to {{INVITED}}, but you're signed in as {{EMAIL}}.
<a href="/logout">Sign out</a> and open the invitation link again to sign in with the invited address.</p>{{/MISMATCH}}
<p><strong>{{ORG}}</strong> invited you to access its apps and resources. If you accept, {{ORG}} will be able to:</p>
<ul>
  <li>sign you in to its apps with your own account;</li>
  <li>read your name, email address and photo;</li>
  <li>read your account's identifiers in your home directory.</li>
</ul>
<p class="muted">You can leave the organization later. {{ORG}}'s own privacy statement and terms apply to your use of its resources.</p>
<form method="post" action="/redeem">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="user" value="{{INVITATION}}">
  <input type="hidden" name="ticket" value="{{TICKET}}">
  <button type="submit" name="action" value="accept">Accept</button>
  <button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
</form>
)HTML";








}  // namespace

void AddTemplates(std::initializer_list<TemplateText> templates) {
  // ctemplate keeps the first text registered under a name (later calls are
  // no-ops), so building the routes twice (tests) is harmless.
  for (const auto& t : templates) ctemplate::StringToTemplateCache(t.name, t.text, ctemplate::DO_NOT_STRIP);
}

void RegisterTemplates() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (auto [key, text] : {std::pair{"layout", kLayout},
                             {"message", kMessage},
                             {"signin_email", kSigninEmail},
                             {"signin_password", kSigninPassword},
                             {"signin_otp", kSigninOtp},
                             {"signup_form", kSignupForm},
                             {"signup_verify", kSignupVerify},
                             {"device_code", kDeviceCode},
                             {"device_confirm", kDeviceConfirm},
                             {"form_post", kFormPost},
                             {"redeem_consent", kRedeemConsent},
                             {"env_home", kEnvHome},
                             {"env_denied", kEnvDenied}})
      ctemplate::StringToTemplateCache(key, text, ctemplate::DO_NOT_STRIP);
  });
}

}  // namespace gh::web
