// vmt-send: placeholder main until the queue runner lands.
int main() { return 0; }
