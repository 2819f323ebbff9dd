// relay, built with its stub: the contestant writes alice and bob.  Alice calls send_bit
// once per bit of her message; Bob calls next_bit (-1 after the last bit) and returns x.
void alice(long long x);
long long bob();
void send_bit(int bit);
int next_bit();
