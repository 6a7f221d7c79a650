"""Pure normalisation functions (amounts, tickers, time), table-tested."""
