"""Pages of the directory: accounts, search and profiles, coordination, officials."""
