"""Domain logic: what the API does, independent of Lambda events and of DynamoDB."""
