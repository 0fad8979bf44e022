DROP VIEW dbo.open_invoices;
