{{ORG_NAME}} gave you access to the environment {{ENVIRONMENT_NAME}}.

Open it: {{ENVIRONMENT_URL}}
