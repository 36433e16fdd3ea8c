-- Search (issue 19): shared text-search building blocks; each module adds its own columns and indexes with them.
-- pg_trgm and unaccent are trusted extensions (PostgreSQL 13+), so a database owner without superuser may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- Words: the simple configuration (no stemming, no stop words: names, e-mails and Portuguese and English text alike)
-- with accents folded first, so "João" and "joao" are the same lexeme in documents, queries and headlines.
CREATE TEXT SEARCH CONFIGURATION public.relay_search (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION public.relay_search
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.simple;

-- Fragments and typos: trigram columns hold lower-case, accent-free text. unaccent() itself is only STABLE (it reads
-- its dictionary through search_path), so generated columns and indexes need this wrapper naming the dictionary.
CREATE FUNCTION public.relay_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
