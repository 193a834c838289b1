"""The web app: ``propscope serve``. ``propscope.web.app.create_app`` builds it over a Store."""
