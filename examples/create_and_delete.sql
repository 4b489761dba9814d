-- create_resource: CreateInstance, wait until ACTIVE, then the other attributes.
INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, DirectoryId, Attributes, Tags, region)
SELECT 'CONNECT_MANAGED', 'gamma', NULL,
       '{"InboundCalls":true,"OutboundCalls":false,"ContactLens":true}',
       '[{"Key":"env","Value":"dev"}]',
       'us-east-1'
RETURNING id, arn, instance_alias, instance_status, attributes;

-- Several rows with VALUES.
INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region)
VALUES ('CONNECT_MANAGED', 'delta', '{"InboundCalls":true,"OutboundCalls":true}', 'eu-west-2'),
       ('SAML', 'epsilon', '{"InboundCalls":false,"OutboundCalls":true}', 'eu-west-2');

-- What DELETE would do, without doing it.
EXPLAIN DELETE FROM aws.connect.instances WHERE data__Identifier = 'gamma' AND region = 'us-east-1';

-- delete_resource (asks for confirmation in the shell; needs --yes in batch mode).
DELETE FROM aws.connect.instances WHERE data__Identifier = 'gamma' AND region = 'us-east-1';
DELETE FROM aws.connect.instances WHERE data__Identifier IN ('delta', 'epsilon') AND region = 'eu-west-2';
