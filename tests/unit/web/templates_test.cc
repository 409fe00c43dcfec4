// The page templates are files (src/web/templates/NAME.tpl) compiled in at
// build time: each parses, auto-escapes as HTML, and building the routes registers every one (a
// file no route registers is a page nobody can reach, or a stale one).
#include <gtest/gtest.h>

#include <cstring>

#include <ctemplate/template.h>

#include <memory>

#include "support/test_env.h"
#include "web/templates.h"

namespace gh::web {
namespace {

TEST(TemplatesTest, EveryFileParses) {
  ASSERT_GE(TemplateFiles().size(), 40u);
  for (const EmbeddedFile& f : TemplateFiles()) {
    EXPECT_FALSE(f.text.empty()) << f.name;
    EXPECT_EQ(f.text.data()[f.text.size()], '\0') << f.name;
    EXPECT_EQ(f.text.substr(0, 30), "{{%AUTOESCAPE context=\"HTML\"}}") << f.name;
    std::unique_ptr<ctemplate::Template> parsed(
        ctemplate::Template::StringToTemplate(f.text.data(), f.text.size(), ctemplate::DO_NOT_STRIP));
    EXPECT_NE(parsed, nullptr) << f.name;
  }
}

TEST(TemplatesTest, TheRoutesRegisterEveryFile) {
  gh::testing::TestEnv env;  // builds every route
  RegisterTemplates();
  for (const EmbeddedFile& f : TemplateFiles()) {
    // Registered under its name, the key expands from the cache; a name
    // that isn't would be looked for on disk, and fail.
    ctemplate::TemplateDictionary dict("check");
    std::string out;
    EXPECT_TRUE(ctemplate::ExpandTemplate(std::string(f.name), ctemplate::DO_NOT_STRIP, &dict, &out))
        << f.name;
  }
}

TEST(TemplatesTest, FindsAFileByName) {
  EXPECT_EQ(FindEmbeddedFile(TemplateFiles(), "no_such_template"), nullptr);
  EXPECT_NE(FindEmbeddedFile(TemplateFiles(), "layout"), nullptr);
}

}  // namespace
}  // namespace gh::web
