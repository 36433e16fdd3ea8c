-- Search (issue 19): every distinct word of the employees', leads' and customers' search_text, so a one-letter typo
-- is first corrected against these few thousand words (trigram index) and the rows are then found by the corrected
-- word. Comparing the typo with the text of every candidate row instead read 5,000 rows for "Olivera" at 100k
-- customers (0.2-0.8 s). Kept in step by statement triggers on the three tables, so imports and every instance need
-- no extra step. Words are never removed: a word left by a deleted or changed row corrects to no row, which costs one
-- index lookup. There is no unique constraint on purpose: two transactions adding the same new word at once would
-- wait for each other (and could deadlock across statements); a rare duplicate only repeats a correction.
CREATE TABLE sales_search_word (
    word TEXT NOT NULL
);
CREATE INDEX sales_search_word_word ON sales_search_word (word);
CREATE INDEX sales_search_word_trigram ON sales_search_word USING gin (word gin_trgm_ops);

-- Words are runs of letters: digits (ids, phone numbers) are matched as typed, never corrected.
CREATE FUNCTION sales_search_words_add() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sales_search_word (word)
    SELECT DISTINCT w.word
    FROM new_rows r, regexp_split_to_table(r.search_text, '[^[:alpha:]]+') AS w(word)
    WHERE length(w.word) >= 2
      AND NOT EXISTS (SELECT 1 FROM sales_search_word s WHERE s.word = w.word);
    RETURN NULL;
END
$$;

CREATE TRIGGER sales_employee_search_words_insert AFTER INSERT ON sales_employee
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();
CREATE TRIGGER sales_employee_search_words_update AFTER UPDATE ON sales_employee
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();
CREATE TRIGGER sales_lead_search_words_insert AFTER INSERT ON sales_lead
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();
CREATE TRIGGER sales_lead_search_words_update AFTER UPDATE ON sales_lead
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();
CREATE TRIGGER sales_customer_search_words_insert AFTER INSERT ON sales_customer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();
CREATE TRIGGER sales_customer_search_words_update AFTER UPDATE ON sales_customer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_search_words_add();

INSERT INTO sales_search_word (word)
SELECT DISTINCT w.word
FROM (SELECT search_text FROM sales_employee
      UNION ALL SELECT search_text FROM sales_lead
      UNION ALL SELECT search_text FROM sales_customer) r,
     regexp_split_to_table(r.search_text, '[^[:alpha:]]+') AS w(word)
WHERE length(w.word) >= 2;
