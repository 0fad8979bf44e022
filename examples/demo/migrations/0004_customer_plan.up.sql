-- A named default constraint, so that the down migration can drop it by name.
ALTER TABLE dbo.customers
    ADD [plan] NVARCHAR(20) NOT NULL CONSTRAINT df_customers_plan DEFAULT N'free';
