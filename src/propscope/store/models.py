"""Tables: one row per article (the full analysis JSON kept as is) plus normalised rows for filtering."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of whitespace-normalised text
    doc_id: Mapped[str] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(256), index=True)
    published: Mapped[str | None] = mapped_column(String(10), index=True)  # YYYY-MM-DD when parseable
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the input Document's fields, for re-analysis
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)  # Analysis.to_dict(), the JSON contract
    models: Mapped[dict[str, str]] = mapped_column(JSON)
    models_key: Mapped[str] = mapped_column(String(1024), index=True)  # canonical form of models, for comparison
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    analyzed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    techniques: Mapped[list[TechniqueRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    narratives: Mapped[list[NarrativeRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class TechniqueRow(Base):
    __tablename__ = "technique_spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    technique: Mapped[str] = mapped_column(String(128))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)

    article: Mapped[Article] = relationship(back_populates="techniques")

    __table_args__ = (
        Index("ix_technique_spans_technique", "technique", "article_id"),
        Index("ix_technique_spans_article", "article_id"),
    )


class NarrativeRow(Base):
    __tablename__ = "narratives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    narrative: Mapped[str] = mapped_column(String(512))
    subnarrative: Mapped[str | None] = mapped_column(String(512))
    score: Mapped[float | None] = mapped_column(Float)

    article: Mapped[Article] = relationship(back_populates="narratives")

    __table_args__ = (
        Index("ix_narratives_narrative", "narrative", "article_id"),
        Index("ix_narratives_article", "article_id"),
    )
