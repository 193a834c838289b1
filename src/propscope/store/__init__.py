"""Persisted analyses: SQLite by default, PostgreSQL by URL; schema managed by Alembic migrations."""

from propscope.store.engine import DEFAULT_URL, StoreError
from propscope.store.repository import ArticleQuery, Page, Saved, Store

__all__ = ["DEFAULT_URL", "ArticleQuery", "Page", "Saved", "Store", "StoreError"]
