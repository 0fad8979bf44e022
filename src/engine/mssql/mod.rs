//! SQL Server over TDS (tiberius): connect, GO batches, history table, applock.
