SELECT 1
GO
SELECT 'never closed
GO
/* open /* nested */
[bracket
