-- The app's own data about a user (JSON), e.g. fields of an imported record.
ALTER TABLE users ADD COLUMN data TEXT;
