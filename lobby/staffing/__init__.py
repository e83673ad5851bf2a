"""Staff and counters: accounts and PINs, who sits at which counter, what a counter desk may do."""
