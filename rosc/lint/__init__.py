"""Running the checks over files: configuration (``config``), inline
suppressions (``suppressions``) and the lint run itself (``engine``)."""
