-- wsdb:no-transaction
-- wsdb:timeout=30m
CREATE DATABASE x;
GO


   
GO
