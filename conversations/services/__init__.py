"""Every change to requests and their threads goes through a function here."""
