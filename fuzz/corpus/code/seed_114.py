import os


def dump_database(db_name, target_dir):
    return os.system(f"pg_dump {db_name} | gzip > {target_dir}/{db_name}.sql.gz")
