-- Search (issue 19): the newest live messages first, so a common word's newest matches are found by reading the
-- latest messages instead of every match GIN returns (in no useful order): see MessageSearch.
CREATE INDEX messaging_message_recent ON messaging_message (created_at) WHERE deleted_at IS NULL;
