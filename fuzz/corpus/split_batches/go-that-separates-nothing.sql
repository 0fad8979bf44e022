SELECT 'a
GO
b', N'it''s
go 5
';
SELECT [x
GO
]]y], "q
Go
""";
/* outer
GO
/* nested
go
*/
GO
*/
-- GO
GOTO done;
LOGO:
SELECT 1 GO
GO
