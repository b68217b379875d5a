"""The only code that talks to DynamoDB: PynamoDB models and the repositories over them."""
