"""The DynamoDB tables of template.yaml, created on any endpoint (moto in tests and locally).

A table is named by its logical ID, which is also what ``!Ref`` resolves to locally.
"""

from __future__ import annotations

from typing import Any

from infra.template import load_template, resources_of_type

TABLE_TYPE = "AWS::DynamoDB::Table"


def table_definitions(template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """CreateTable arguments for each table of the template, by logical ID."""
    template = template or load_template()
    definitions = {}
    for logical_id, resource in resources_of_type(template, TABLE_TYPE).items():
        props = resource["Properties"]
        definition: dict[str, Any] = {
            "TableName": logical_id,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            definition["GlobalSecondaryIndexes"] = [
                {key: gsi[key] for key in ("IndexName", "KeySchema", "Projection")}
                for gsi in props["GlobalSecondaryIndexes"]
            ]
        definitions[logical_id] = definition
    return definitions


def time_to_live_attributes(template: dict[str, Any] | None = None) -> dict[str, str]:
    template = template or load_template()
    return {
        logical_id: resource["Properties"]["TimeToLiveSpecification"]["AttributeName"]
        for logical_id, resource in resources_of_type(template, TABLE_TYPE).items()
        if resource["Properties"].get("TimeToLiveSpecification", {}).get("Enabled")
    }


def create_tables(client: Any, template: dict[str, Any] | None = None) -> list[str]:
    """Create every table of the template with ``client`` (a boto3 DynamoDB client)."""
    definitions = table_definitions(template)
    for definition in definitions.values():
        client.create_table(**definition)
    for table, attribute in time_to_live_attributes(template).items():
        client.update_time_to_live(
            TableName=table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
        )
    return list(definitions)


def table_environment(template: dict[str, Any] | None = None) -> dict[str, str]:
    """The table variables of the template's global function environment, resolved locally."""
    template = template or load_template()
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    tables = set(resources_of_type(template, TABLE_TYPE))
    resolved = {}
    for name, value in variables.items():
        if isinstance(value, dict) and value.get("Ref") in tables:
            resolved[name] = value["Ref"]
    return resolved
