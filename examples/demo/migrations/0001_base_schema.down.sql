DROP TABLE dbo.customers;
