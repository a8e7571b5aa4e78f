DROP TABLE login_failures;
DROP TABLE changes;
