-- What the catalog knows, without any API call.
SHOW SERVICES;
SHOW RESOURCES IN aws.connect;
SHOW METHODS IN aws.connect.instance;
DESCRIBE EXTENDED aws.connect.instance;
EXPLAIN SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';
