DROP TABLE dbo.accounts;
