"""The atlas's layers: curated tables loaded into validated GeoDataFrames, and what is drawn from them."""
