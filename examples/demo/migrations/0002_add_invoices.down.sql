DROP TABLE dbo.invoices;
