{{ORG_NAME}} vous a donné accès à l'environnement {{ENVIRONMENT_NAME}}.

Ouvrez-le : {{ENVIRONMENT_URL}}
