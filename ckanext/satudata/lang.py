"""The user's language, and {id: …, en: …} labels in it."""
from __future__ import annotations

import contextlib
import contextvars
import functools
from typing import Any, Callable, Iterator

import ckan.plugins.toolkit as tk

# Set while text to be stored or mailed is written (see portal_language).
_forced: contextvars.ContextVar[str | None] = contextvars.ContextVar("satudata_lang", default=None)
_standalone_app = None


def portal() -> str:
    """The portal's first language (``ckan.locale_default``)."""
    return tk.config.get("ckan.locale_default") or "id"


def current() -> str:
    forced = _forced.get()
    if forced:
        return forced
    try:
        return tk.h.lang() or portal()
    except (RuntimeError, AttributeError, TypeError):
        return portal()  # outside a request (CLI, worker): the portal's first language


def text(label: Any) -> str:
    if isinstance(label, dict):
        return label.get(current()) or label.get("id") or next(iter(label.values()))
    return str(label)


def _flask_app():
    """The Flask app to translate with when no app context is active.

    The CLI (`ckan …`, so also the RQ worker it starts) keeps CKAN's app in
    click's context; elsewhere (a bare script) a small app reads the same
    catalogs CKAN's does, in the same order (ours after core's: ours win).
    """
    import click

    click_ctx = click.get_current_context(silent=True)
    app = click_ctx.meta.get("flask_app") if click_ctx else None
    if app is not None:
        return app
    global _standalone_app
    if _standalone_app is None:
        import flask
        import flask_babel
        from ckan.lib import i18n
        from ckan.plugins import PluginImplementations
        from ckan.plugins.interfaces import ITranslation

        pairs = [(i18n.get_ckan_i18n_dir(), "ckan")] + [
            (p.i18n_directory(), p.i18n_domain()) for p in PluginImplementations(ITranslation)]
        app = flask.Flask(__name__)
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(d for d, _ in pairs)
        app.config["BABEL_DOMAIN"] = ";".join(n for _, n in pairs)
        flask_babel.Babel(app, locale_selector=portal)
        _standalone_app = app
    return _standalone_app


@contextlib.contextmanager
def portal_language() -> Iterator[None]:
    """Write text that is stored or mailed (notices) in the portal's language.

    A notice is read later, by someone else, in the portal: its text must not
    depend on the language of the request that happened to cause it (an /en/
    page), nor fall back to English where there is no request (CLI, worker).
    Both tk._ and the {id, en} labels/dates read by current() follow it.
    """
    with language(portal()):
        yield


@contextlib.contextmanager
def language(locale: str) -> Iterator[None]:
    """Write in LOCALE whatever the request's language (an official letter is
    Indonesian); tk._ and the {id, en} labels read by current() follow it."""
    import flask
    import flask_babel

    token = _forced.set(locale)
    try:
        if flask.has_app_context():
            with flask_babel.force_locale(locale):
                yield
        else:
            with _flask_app().app_context(), flask_babel.force_locale(locale):
                yield
    finally:
        _forced.reset(token)


def in_portal_language(job: Callable) -> Callable:
    """Run JOB (a background job: no request) inside portal_language()."""
    @functools.wraps(job)
    def run(*args, **kwargs):
        with portal_language():
            return job(*args, **kwargs)
    return run
