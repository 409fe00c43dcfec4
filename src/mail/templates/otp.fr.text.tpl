Votre code de vérification pour {{ORG_NAME}} est : {{CODE}}

Il expire dans {{LIFETIME_MINUTES}} minutes.

Si vous n'avez pas demandé ce code, ignorez ce courriel : quelqu'un a peut-être saisi votre adresse par erreur.
