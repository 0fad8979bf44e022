-- CREATE VIEW must be the only statement in its batch.
CREATE VIEW dbo.open_invoices AS
SELECT i.id, i.customer_id, i.amount, i.issued_at
FROM dbo.invoices AS i
WHERE i.paid = 0;
