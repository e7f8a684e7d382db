# Copy to instance/config.py and adjust. Environment variables PORTAL_<NAME> override these.
SECRET_KEY = "change-me-to-a-long-random-string"
DATABASE_URL = ""  # e.g. "postgresql://portal@127.0.0.1/portal"; empty = instance/portal.sqlite3
BASE_URL = "https://commande.example.fr"
MAIL_HOST = "127.0.0.1"
MAIL_PORT = 25
RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
PROXY_COUNT = 1
