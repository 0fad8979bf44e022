DROP VIEW dbo.open_invoices;
DROP TABLE dbo.invoices;
