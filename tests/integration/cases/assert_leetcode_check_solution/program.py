class Solution:
    def reverse(self, s: str) -> str:
        return s[::-1]
