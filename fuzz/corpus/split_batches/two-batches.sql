CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);
GO
CREATE VIEW dbo.account_ids AS SELECT id FROM dbo.accounts;
GO
