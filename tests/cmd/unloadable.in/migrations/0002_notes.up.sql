CREATE TABLE dbo.notes (id INT NOT NULL PRIMARY KEY);
GO;
CREATE INDEX ix_notes ON dbo.notes (id);
