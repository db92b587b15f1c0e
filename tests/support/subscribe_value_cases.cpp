#include "support/subscribe_value_cases.h"

namespace wxb::test {

namespace {

using Outcome = SubscribeValueCase::Outcome;

SubscribeValueCase sent(std::string key, std::string input, std::string value = "") {
  if (value.empty()) value = input;
  return {std::move(key), std::move(input), Outcome::Sent, std::move(value)};
}

SubscribeValueCase cut(std::string key, std::string input, std::string value) {
  return {std::move(key), std::move(input), Outcome::Cut, std::move(value)};
}

SubscribeValueCase refused(std::string key, std::string input) {
  return {std::move(key), std::move(input), Outcome::Refused, ""};
}

}  // namespace

const std::vector<SubscribeValueCase>& subscribeValueCases() {
  static const std::vector<SubscribeValueCase> cases = {
      // thing: at most 20 characters, longer text cut to 19 and an ellipsis
      sent("thing1", "Order 5521 shipped"),
      sent("thing1", "你的订单已发货请注意查收"),
      sent("thing2", "  padded  ", "padded"),
      sent("thing3", "two\nlines", "two lines"),
      sent("thing4", "12345678901234567890"),
      cut("thing1", "Your order 5521 has shipped today", "Your order 5521 has\xE2\x80\xA6"),
      cut("thing5", "你的订单已经发货了请在三天之内注意查收快递包裹",
          "你的订单已经发货了请在三天之内注意查收\xE2\x80\xA6"),
      cut("thing6", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\xE2\x80\xA6"),
      refused("thing1", ""),
      // number: digits with an optional decimal part, at most 32
      sent("number1", "5521"),
      sent("number2", "3.14"),
      sent("number3", "12345678901234567890123456789012"),
      refused("number1", "123456789012345678901234567890123"),
      refused("number1", "12a"),
      refused("number1", "-5"),
      refused("number1", "1,000"),
      // letter: at most 32 ASCII letters
      sent("letter1", "ABCxyz"),
      refused("letter1", "ABC1"),
      refused("letter1", "abcdefghijklmnopqrstuvwxyzabcdefg"),
      refused("letter1", "字母"),
      // symbol: at most 5, none a letter, digit, CJK character or space
      sent("symbol1", "%"),
      sent("symbol2", "+-*/"),
      refused("symbol1", "%%%%%%"),
      refused("symbol1", "a%"),
      refused("symbol1", "5%"),
      // character_string: at most 32 printable ASCII
      sent("character_string1", "SF1234567890"),
      sent("character_string2", "A-12_b#3"),
      refused("character_string1", "订单1234"),
      refused("character_string1", "123456789012345678901234567890123"),
      // phrase: at most 5 Chinese characters only
      sent("phrase1", "配送中"),
      sent("phrase2", "已经完成了"),
      refused("phrase1", "已经完成了吗"),
      refused("phrase1", "done"),
      refused("phrase1", "配送中1"),
      // name: 10 Chinese characters or 20 ASCII letters, not mixed
      sent("name1", "张三"),
      sent("name2", "John Smith"),
      sent("name3", "欧阳诸葛司马上官东方"),
      refused("name1", "欧阳诸葛司马上官东方西"),
      refused("name1", "Johnathan Smithsonian Jr"),
      refused("name1", "张John"),
      // amount: a currency sign, at most 10 digits, 2 decimals, optional 元
      sent("amount1", "¥100.50"),
      sent("amount2", "100元"),
      sent("amount3", "$9"),
      sent("amount4", "1234567890"),
      refused("amount1", "12345678901"),
      refused("amount1", "¥1.234"),
      refused("amount1", "one hundred"),
      // phone_number: at most 17 of digits, + - ( ) and space
      sent("phone_number1", "+86-0766-66888866"),
      sent("phone_number2", "(010) 1234 5678"),
      refused("phone_number1", "+86-0766-668888661"),
      refused("phone_number1", "call 110"),
      // car_number: at most 8; a Chinese character only first or last
      sent("car_number1", "粤A8Z888挂"),
      sent("car_number2", "AB12345"),
      refused("car_number1", "粤A8Z888挂12"),
      refused("car_number1", "A-1234"),
      // time: 24-hour, optionally with a date, or a range
      sent("time1", "15:01"),
      sent("time2", "9:05"),
      sent("time3", "2019年10月1日 15:01"),
      sent("time4", "2019-10-01 15:01:30"),
      sent("time5", "15:01~16:30"),
      refused("time1", "3:00 PM"),
      refused("time1", "25:00"),
      refused("time1", "2019-10-01"),
      refused("time1", "soon"),
      // date: a date, optionally with a 24-hour time, or a range
      sent("date1", "2019年10月1日"),
      sent("date2", "2019-10-01"),
      sent("date3", "2019/10/1 15:01"),
      sent("date4", "2019-10-01 ~ 2019-10-07"),
      refused("date1", "15:01"),
      refused("date1", "2019-13-01"),
      refused("date1", "10/01/2019"),
      refused("date1", "tomorrow"),
  };
  return cases;
}

}  // namespace wxb::test
