// vmt-ingest: placeholder main until the reception lands.
int main() { return 75; }
