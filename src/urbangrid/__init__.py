"""UrbanGrid: digital urban management (数字化城市管理) for Chinese cities."""

__version__ = "0.1.0"
