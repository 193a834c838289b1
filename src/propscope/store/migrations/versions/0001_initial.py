"""Articles with their analysis JSON, technique spans and narratives.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(256)),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("analysis", sa.JSON, nullable=False),
        sa.Column("models", sa.JSON, nullable=False),
        sa.Column("models_key", sa.String(1024), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("analyzed_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("outlet", "published", "language", "models_key"):
        op.create_index(f"ix_articles_{column}", "articles", [column])
    op.create_table(
        "technique_spans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("technique", sa.String(128), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_technique_spans_technique", "technique_spans", ["technique", "article_id"])
    op.create_index("ix_technique_spans_article", "technique_spans", ["article_id"])
    op.create_table(
        "narratives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("narrative", sa.String(512), nullable=False),
        sa.Column("subnarrative", sa.String(512)),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_narratives_narrative", "narratives", ["narrative", "article_id"])
    op.create_index("ix_narratives_article", "narratives", ["article_id"])


def downgrade() -> None:
    op.drop_table("narratives")
    op.drop_table("technique_spans")
    op.drop_table("articles")
