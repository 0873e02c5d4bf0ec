"""The people behind each city: focal points, how they are linked to a city, and their handles on
each platform."""
