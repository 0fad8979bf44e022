DROP TABLE dbo.notes;
