"""The baseline: a bare Flask app answering "hello", served by gunicorn like the portal."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
