"""县域经济政策文库: the pipeline that turns scraped sources into the archive's Markdown pages."""
