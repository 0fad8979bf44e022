CREATE TABLE dbo.invoices (
    id INT NOT NULL PRIMARY KEY,
    account_id INT NOT NULL REFERENCES dbo.accounts (id),
    due DATE NULL
);
GO
CREATE VIEW dbo.open_invoices AS SELECT id, account_id FROM dbo.invoices;
