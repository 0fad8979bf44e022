DROP PROCEDURE dbo.refresh_reports;
DROP TABLE dbo.reports;
