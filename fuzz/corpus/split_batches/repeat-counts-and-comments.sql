INSERT INTO dbo.ticks DEFAULT VALUES;
GO 5
  go  	-- done
SELECT 1
	Go	2	-- twice
SELECT 2
GO--tight
