CREATE TABLE dbo.invoices (
    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    customer_id INT NOT NULL REFERENCES dbo.customers (id),
    amount DECIMAL(12, 2) NOT NULL,
    issued_at DATETIME2 NOT NULL DEFAULT SYSUTCDATETIME(),
    paid BIT NOT NULL DEFAULT 0
);
GO
CREATE INDEX ix_invoices_customer ON dbo.invoices (customer_id);
