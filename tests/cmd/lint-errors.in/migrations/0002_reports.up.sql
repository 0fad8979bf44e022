USE reporting;
GO
INSERT INTO dbo.report_log (id) SELECT id FROM otherdb.dbo.accounts;
GO
CREATE TABLE dbo.reports (id INT NOT NULL PRIMARY KEY);
CREATE PROCEDURE dbo.refresh_reports AS SELECT 1;
GO
BACKUP DATABASE current_workspace TO DISK = 'x.bak';
