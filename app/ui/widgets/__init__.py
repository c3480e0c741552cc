"""Small widgets and models shared by several screen areas."""
